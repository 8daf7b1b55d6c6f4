#pragma once
// "Add models…": the catalogue of models by name (alignscope-cli models list --json, read by its caller in a
// child process and given here as text), searchable and multi-select, with the outputs (penultimate,
// logits, any node by name), the weights (DEFAULT, none, a .pth file) and the images to extract from. Models
// dropped on the window (a .py exporter, a torchvision weights file) join the list as chosen entries.

#include "alignscope/result.h"

#include <QDialog>
#include <QStringList>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableWidget;

class ModelCatalogueDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ModelCatalogueDialog(QWidget* parent = nullptr);

    // The CLI's catalogue JSON; false (and the reason shown) when it is not one.
    bool setCatalogue(const QByteArray& json);
    // The catalogue could not be read (no torchvision, no Python): says so and what to install.
    void setCatalogueProblem(const QString& reason);
    QString problem() const;
    // A model that is not in the catalogue (python:FILE.py, or torchvision:NAME with a weights file), shown
    // first and chosen.
    void addChosenModel(const QString& spec, const QString& weights);

    void setSearch(const QString& text);
    int visibleModels() const;        // rows the search leaves shown
    QStringList visibleNames() const; // their specs, in order
    void choose(const QString& spec, bool chosen = true);
    void setWeights(const QString& weights);     // DEFAULT, none or a .pth file (catalogue models)
    void setOutputs(const QStringList& outputs); // penultimate, logits, node names
    void setImages(const QString& folderOrList);

    struct Choice
    {
        QString spec;    // torchvision:NAME or python:FILE.py[:FUNCTION]
        QString weights; // DEFAULT, none, an enum name or a .pth file
        QStringList outputs;
        std::vector<std::string> imagePaths;
    };
    // The chosen models with their settings; errors say what is missing (no model, no images, no output).
    alignscope::Result<std::vector<Choice>> choices() const;

    // Closes only when choices() has no error (else the error is shown in the dialog).
    void accept() override;

Q_SIGNALS:
    void catalogueChanged(); // filled, or a problem shown

private:
    // A chosen row goes first.
    void addRow(const QStringList& cells, const QString& spec, const QString& weights, bool chosen);
    void filter();

    QLineEdit* m_search;
    QTableWidget* m_table;
    QLabel* m_status;
    QComboBox* m_weights;
    QCheckBox* m_penultimate;
    QCheckBox* m_logits;
    QLineEdit* m_layers;
    QLineEdit* m_images;
    QString m_problem;
};
