#pragma once
// Settings of one feature extraction: images, the model output to use, preprocessing, device.

#include "alignscope/exported_model.h"
#include "alignscope/feature_extraction.h"

#include <optional>

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

class ExtractionDialog : public QDialog
{
    Q_OBJECT
public:
    // `info` fills the method and output choices (what the model's probe forward returned). A file exported
    // by AlignScope (`manifest`) starts with its own preprocessing and first output (penultimate), marked as
    // from the model file: an imagenet default would silently override them. The user may still change them.
    ExtractionDialog(const alignscope::ModelInfo& info, const alignscope::ExportedModelManifest* manifest,
                     QWidget* parent = nullptr);
    explicit ExtractionDialog(const alignscope::ModelInfo& info, QWidget* parent = nullptr)
        : ExtractionDialog(info, nullptr, parent)
    {
    }

    void setImages(const QString& folderOrList);
    QString images() const;
    // The request for the chosen settings; errors name the field (e.g. a malformed mean).
    alignscope::Result<alignscope::ExtractionRequest> request() const;
    bool useCache() const;

private:
    void applyPreset(const QString& name);

    QString m_modelPath;
    std::optional<alignscope::Preprocessing> m_filePreprocessing; // the model file's own, if it has them
    QLineEdit* m_images;
    QComboBox* m_method;
    QComboBox* m_output;
    QComboBox* m_pooling;
    QComboBox* m_preset;
    QSpinBox* m_resize;
    QSpinBox* m_crop;
    QComboBox* m_interpolation;
    QLineEdit* m_mean;
    QLineEdit* m_std;
    QSpinBox* m_batchSize;
    QComboBox* m_device;
    QCheckBox* m_half;
    QCheckBox* m_skipBroken;
    QCheckBox* m_cache;
};
