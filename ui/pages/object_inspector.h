#pragma once
// One object in detail, beside the Objects page's alignment table: its image, name and category, each
// model's accuracy over its triplets (n and 95% interval), and, with a concept space, its nearest neighbours
// under each model and under the human (concept) similarity side by side, the shared ones in bold, with
// Jaccard@k and Spearman's rho.

#include <QWidget>

class ObjectAlignmentController;
class QLabel;
class ThumbnailCache;

class ObjectInspector : public QWidget
{
    Q_OBJECT
public:
    ObjectInspector(ObjectAlignmentController* controller, ThumbnailCache* thumbnails,
                    QWidget* parent = nullptr);

    // The stimulus shown (its index in the analysis's objects); -1: none.
    void setObject(int stimulus);
    int object() const { return m_object; }
    QString text() const; // what the details say, as rich text
    // What the link under model `model` asks for (as if clicked).
    void openTriplets(int model);

Q_SIGNALS:
    // A model's link to its triplets that contain the object.
    void tripletsRequested(int stimulus, int model);

private:
    void refresh();

    ObjectAlignmentController* m_controller;
    ThumbnailCache* m_thumbnails;
    QLabel* m_image;
    QLabel* m_details;
    int m_object = -1;
};
